// London time: parse, shift on the wall clock, format (london.ts); zone-free calendar dates (calendar.ts).
export * from "./london";
export * from "./calendar";
