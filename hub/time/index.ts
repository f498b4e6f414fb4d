// London time: parse, shift on the wall clock, format. See london.ts.
export * from "./london";
