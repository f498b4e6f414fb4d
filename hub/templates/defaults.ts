// The built-in English texts of every automated message. A row in message_templates with the same key replaces one.

/** Each template with the placeholders it may use (`{{name}}`); an override may use any of them, and no other. */
export const DEFAULT_TEMPLATES = {
  "inquiry.acknowledged": {
    body: "Thank you for your message. Your reference is {{reference}}. We will reply by {{deadline}} (London time).",
    placeholders: ["reference", "deadline"],
  },
  // Telegram's acknowledgement carries the first guided question: one message, so the question never overtakes it.
  "telegram.acknowledged": {
    body:
      "Thank you for your message. Your reference is {{reference}}. We will reply by {{deadline}} (London time).\n\n" +
      'While we look at it, a few quick questions. When would you like to come? Write a date and time, e.g. 25/12 19:30 (London time), or "skip".',
    placeholders: ["reference", "deadline"],
  },
  // When the first message already said when: what was understood, so it can be corrected, and the next question.
  "telegram.acknowledged_understood": {
    body:
      "Thank you for your message. Your reference is {{reference}}. We will reply by {{deadline}} (London time).\n\n" +
      "We understood: {{understood}}. If that is not right, just tell us.{{question}}",
    placeholders: ["reference", "deadline", "understood", "question"],
  },
  // WhatsApp's acknowledgement is inquiry.acknowledged followed by one of these two, in the same message.
  "guided.ask_when": {
    body: 'While we look at it, a few quick questions. When would you like to come? Write a date and time, e.g. 25/12 19:30 (London time), or "skip".',
    placeholders: [],
  },
  "guided.understood": {
    body: "We understood: {{understood}}. If that is not right, just tell us.",
    placeholders: ["understood"],
  },
  "telegram.welcome": {
    body: "Hello! Tell us what you would like to book, and we will get back to you. Share your contact if you would like us to call you.",
    placeholders: [],
  },
  "inquiry.details_saved": {
    body: "Thank you, we have noted: {{details}}. Your reference is {{reference}}.",
    placeholders: ["details", "reference"],
  },
  "telegram.ask_party_size": {
    body: 'How many people? (or "skip")',
    placeholders: [],
  },
  "telegram.ask_service": {
    body: 'Which service would you like? (or "skip")',
    placeholders: [],
  },
  "telegram.contact_saved": {
    body: "Thank you, we have your number {{phone}}.",
    placeholders: ["phone"],
  },
  "booking.proposal": {
    body:
      "We can offer you {{resource}} on {{when}} (London time) for {{party}}. {{deposit}}\n" +
      "Your booking reference is {{reference}}. The offer is held for you until {{hold_until}}.",
    placeholders: ["resource", "when", "party", "deposit", "reference", "hold_until"],
  },
  "booking.accepted": {
    body: "Thank you, {{reference}} is accepted: {{resource}} on {{when}} (London time). {{next}}",
    placeholders: ["reference", "resource", "when", "next"],
  },
  "booking.declined": {
    body: "Understood, we have let {{reference}} go. Write to us any time if you would like another time.",
    placeholders: ["reference"],
  },
  "booking.cancelled": {
    body: "{{reference}} is cancelled: {{resource}} on {{when}} (London time). {{deposit}}",
    placeholders: ["reference", "resource", "when", "deposit"],
  },
  // A reminder BOOKING_REMINDER_HOURS before the start, with "I'm coming" and "Cancel" (hub/bookings/send-reminder.ts);
  // `where` is "Where: BUSINESS_ADDRESS" and a line break, or nothing when no address is set.
  "booking.reminder": {
    body: "A reminder of your booking {{reference}}: {{resource}} on {{when}} (London time) for {{party}}.\n{{where}}\nWill you be coming?",
    placeholders: ["reference", "resource", "when", "party", "where"],
  },
  "booking.reconfirmed": {
    body: "Thank you for letting us know, {{reference}} is confirmed: {{resource}} on {{when}} (London time). See you then!",
    placeholders: ["reference", "resource", "when"],
  },
  // The question a reminder's "Cancel" asks once more; `deposit` says what the cancellation policy does to it.
  "booking.cancel_confirm": {
    body: "Do you want to cancel {{reference}}: {{resource}} on {{when}} (London time)? {{deposit}}",
    placeholders: ["reference", "resource", "when", "deposit"],
  },
  "booking.kept": {
    body: "Good, {{reference}} stays booked: {{resource}} on {{when}} (London time). See you then!",
    placeholders: ["reference", "resource", "when"],
  },
  "payment.refunded": {
    body: "We have refunded {{amount}} for {{reference}}. {{how}}",
    placeholders: ["reference", "amount", "how"],
  },
  // Every payment message carries the one hub link, /pay/{token}, which follows the live attempt through each switch.
  "payment.link": {
    body: "To secure {{reference}}, please pay the deposit of {{amount}} here: {{url}}\nPlease pay by {{expires}} (London time).",
    placeholders: ["reference", "amount", "url", "expires"],
  },
  "payment.switched": {
    body:
      "Our card payment provider did not complete your deposit for {{reference}}, so we have moved it to our backup provider. " +
      "The same link works: {{url}}\nPlease pay {{amount}} by {{expires}} (London time).",
    placeholders: ["reference", "amount", "url", "expires"],
  },
  "payment.manual": {
    body: "Online payment is not available for {{reference}} right now. {{instructions}}\nThe details are also here: {{url}}",
    placeholders: ["reference", "amount", "url", "instructions"],
  },
  "payment.confirmed": {
    body: "Thank you: we have received your deposit of {{amount}}. {{reference}} is confirmed: {{resource}} on {{when}} (London time).",
    placeholders: ["reference", "amount", "resource", "when"],
  },
} as const satisfies Record<string, { body: string; placeholders: readonly string[] }>;

export type TemplateKey = keyof typeof DEFAULT_TEMPLATES;
export const TEMPLATE_KEYS = Object.keys(DEFAULT_TEMPLATES) as TemplateKey[];
