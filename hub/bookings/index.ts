// The front door of hub/bookings: what code outside it may use. Everything else in the folder is its own.
export { answerFromChat } from "./answer";
export { freeStarts } from "./availability";
export { dayOf } from "./calendar";
export { armCompletionTimer, disarmCompletionTimer, rearmCompletionTimers } from "./completion";
export { type BookingDay, type DayBooking, type ResourceDay, bookingDay } from "./day";
export { findBooking } from "./find";
export { holdBooking } from "./hold";
export { type BookingRow, bookingReference, lockBooking, moveBooking } from "./lifecycle";
export { type LinkedBooking, answerByLink, bookingByLink } from "./link-page";
export { LINK_TOKEN, newLinkToken } from "./link-token";
export { BOOKING_STATUSES, listBookings } from "./list";
export { MISMATCH_KINDS, type Mismatch, type MismatchKind, availabilityMismatches } from "./mismatches";
export { formatMoney, fromNumeric, isCurrency, minorDigits } from "./money";
export { overlaps, takenBetween } from "./occupancy";
export { OpeningHoursSchema, isOpenThroughout } from "./opening-hours";
export { BOOKING_ACTION, proposalValues } from "./propose";
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
