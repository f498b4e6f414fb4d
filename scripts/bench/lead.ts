// The bodies the load generator posts: each a new customer's first WhatsApp message, as the WhatsApp channel hands it
// to intake. Numbered so that every chat, message and phone is distinct across the whole run.

/** Lead number `n`: UK mobile +44 79 followed by n in 8 digits (so up to 100,000,000 distinct leads). */
export function whatsAppLead(n: number) {
  const digits = `4479${String(n).padStart(8, "0")}`;
  return {
    source: "whatsapp",
    message: `Hi, is there a table for ${(n % 8) + 1} on Friday at 19:30?`,
    client: { name: `Guest ${n}` },
    external_chat_id: `${digits}@c.us`,
    external_message_id: `wamid.bench.${n}`,
  };
}
