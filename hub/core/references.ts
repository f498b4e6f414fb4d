// How people name rows: INQ-1042, BKG-12. Customers, staff and partners quote these; ids stay for machines.
export const inquiryReference = (number: number) => `INQ-${number}`;
export const bookingReference = (number: number) => `BKG-${number}`;
