// The front door of hub/clients: UK GDPR access (export), erasure, and the retention run. Everything else in the folder
// is its own.
export { type ClientExport, exportClient } from "./export";
export { ClientBusyError, type ErasureOutcome, type Removed, eraseClient } from "./erase";
export type { ErasureCause, ErasureRecord } from "./erasure-record";
export { ERASED } from "./redact";
export { type RetentionDeps, type RetentionReport, retentionCutoff, runRetention } from "./retention";
export { nextRetentionRun, rearmRetention, retentionHandler, retentionTimer } from "./retention-timer";
