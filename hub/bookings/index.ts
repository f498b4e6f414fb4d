// The front door of hub/bookings: what code outside it may use. Everything else in the folder is its own.
export { type AnswerOutcome, answerFromChat } from "./answer";
export { freeStarts } from "./availability";
export { dayOf } from "./calendar";
export {
  BY_CUSTOMER,
  type CancelDeps,
  type Canceller,
  type CancellationPolicy,
  REFUND_CHOICES,
  type RefundChoice,
  cancelUnderPolicy,
  policyRefund,
} from "./cancellation";
export { armCompletionTimer, disarmCompletionTimer, rearmCompletionTimers } from "./completion";
export { type BookingDay, type DayBooking, type ResourceDay, bookingDay } from "./day";
export { findBooking } from "./find";
export { holdBooking } from "./hold";
export { type BookingRow, bookingReference, lockBooking, moveBooking } from "./lifecycle";
export { LINK_ACTIONS, type LinkedBooking, answerByLink, bookingByLink, cancellableByCustomer } from "./link-page";
export { LINK_TOKEN, newLinkToken } from "./link-token";
export { BOOKING_STATUSES, listBookings } from "./list";
export { MISMATCH_KINDS, type Mismatch, type MismatchKind, availabilityMismatches } from "./mismatches";
export { formatMoney, fromNumeric, isCurrency, minorDigits } from "./money";
export { overlaps, takenBetween } from "./occupancy";
export { OpeningHoursSchema, isOpenThroughout } from "./opening-hours";
export { BOOKING_ACTION, proposalValues } from "./propose";
export { REMINDER_ACTION } from "./reminder-actions";
export {
  armReminderTimers,
  disarmReminderTimers,
  rearmReminderTimers,
  reminderOffsets,
} from "./reminder-timer";
export type { ReminderSettings } from "./send-reminder";
export { blockResource, listBlocks, removeBlock } from "./resource-blocks";
export {
  RESOURCE_STATUSES,
  addResource,
  changeResource,
  findResource,
  listResources,
  resourceAvailability,
} from "./resources";
export { acceptNamedBooking, cancelNamedBooking, markNamedNoShow, proposeNamedBooking } from "./staff-moves";
export { armHoldTimer, bookingTimersHandler, disarmHoldTimer, rearmHoldTimers } from "./timers";
