// The front door of hub/staff: what code outside it may use. Everything else in the folder is its own.
export { addStaffMember, type NewStaffMember, USER_ROLES } from "./add-member";
export { deliverStaffNotices } from "./deliver";
export { linkTelegramAccount } from "./link-telegram";
export {
  notifyBreach,
  notifyCustomerCancellation,
  notifyEscalation,
  notifyNewInquiry,
  relayCustomerMessage,
} from "./notify";
export { setNewInquiryNotices, takesNewInquiryNotices } from "./notify-preference";
export { queueStaffNotices } from "./queue-notice";
export { assigneeOrNotified, linkedManagers } from "./recipients";
export { repliedNotice } from "./replied-notice";
export { sourceName } from "./texts";
