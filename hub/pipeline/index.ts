// The front door of hub/pipeline: what code outside it may use. Everything else in the folder is its own.
export { toE164 } from "./contact";
export {
  type IngestResult,
  OpenConversationError,
  type PipelineDeps,
  ingestInquiry,
  openChatInquiry,
} from "./ingest-inquiry";
export { type InquiryInput, InquiryInputSchema, sourceSchema } from "./inquiry-input";
export { nextInquiryPreview } from "./inquiry-preview";
export {
  type InquiryRecord,
  inquiryRecordColumns,
  inquiryReference,
  selectInquiryRecords,
  toInquiryRecord,
} from "./inquiry-record";
