// The front door of hub/timeline: an inquiry's events in one list (the API's timeline and the console's page).
export { TIMELINE_KINDS, type TimelineItem, type TimelineKind, inquiryTimeline } from "./inquiry-timeline";
