// The front door of hub/inquiries: what code outside it may use. Everything else in the folder is its own.
export { inquiryStoredWithKey } from "./by-key";
export { INQUIRY_STATUSES, changeNamedInquiryStatus, setInquiryStatus } from "./change-status";
export { CONTACT_KINDS, type ContactRow, contactsOf, logContact } from "./contacts";
export { updateInquiryDetails } from "./details";
export { findInquiry, getInquiry } from "./find";
export { listInquiries } from "./list";
export { matchesFor } from "./matches";
export { slaBreaches } from "./operator-views";
export { takeInquiry } from "./take";
export { workQueue } from "./work-queue";
