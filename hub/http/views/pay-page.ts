// The customer's payment page /pay/{token}: its style, and the body of a manual (bank-transfer) attempt with the form
// that sends the customer's own proof. hono/html escapes every value put into it.
import { html } from "hono/html";
import { bookingReference, formatMoney } from "../../bookings";
import { formatLondonForPeople } from "../../core/time";
import { MAX_CUSTOMER_NOTE, MAX_CUSTOMER_PROOFS, minorAmount, type PayPageState } from "../../../payments";
import { BASE_STYLE, customerPages } from "./customer-page";

const STYLE = `${BASE_STYLE}label{display:block;font-weight:600;margin-top:1rem}
.hint{display:block;color:#505a5f}
input[type=file],textarea{display:block;margin-top:.25rem;font:inherit;max-width:100%}
textarea{width:100%;box-sizing:border-box;border:2px solid #0b0c0c;padding:.25rem}
button{font:inherit;font-weight:600;margin-top:1.25rem;padding:.5rem 1.25rem;border:0;cursor:pointer;background:#00703c;color:#fff}
button:focus,input:focus,textarea:focus{outline:3px solid #fd0;outline-offset:0}
.error{border-left:6px solid #d4351c;padding:.5rem 1rem;color:#0b0c0c}
`;

/** Every /pay page: no script, no cookie; its one form posts back to the hub. */
export const payPage = customerPages(STYLE, { forms: true });

/** The types the file input offers; the hub reads the real type from the file's bytes. */
const ACCEPT = "application/pdf,image/jpeg,image/png,image/heic,.pdf,.jpg,.jpeg,.png,.heic";

export interface ManualPageOptions {
  /** The instructions with the reference and amount filled in (MANUAL_PAYMENT_INSTRUCTIONS). */
  instructions: string;
  /** Why the last upload was refused, shown above everything. */
  error?: string | undefined;
  /** The note the customer typed, given back with a refusal so that it is not lost. */
  note?: string | undefined;
}

export function manualPaymentBody(
  token: string,
  state: Extract<PayPageState, { kind: "manual" }>,
  options: ManualPageOptions,
) {
  const { booking, attempt, customerProofs } = state;
  const reference = bookingReference(booking.number);
  const amount = formatMoney(minorAmount(attempt), attempt.currency);
  const sent = customerProofs.length;
  const received =
    sent > 0
      ? html`<div class="notice" role="status">
<p>We have received your proof of payment:</p>
<ul>${customerProofs.map((p) => html`<li>${p.fileName}, ${formatLondonForPeople(p.createdAt)} (London time)</li>`)}</ul>
<p>What happens next: we check it against our bank account. When a manager has approved it, booking ${reference} is confirmed and this page says "Paid". You do not need to do anything else.</p>
</div>`
      : attempt.status === "awaiting_approval"
        ? html`<p class="notice" role="status">We have your proof of payment and are checking it.</p>`
        : "";
  const error = options.error
    ? html`<div class="error" role="alert" id="proof-error"><p><strong>Your file was not sent.</strong> ${options.error}</p></div>`
    : "";
  const form =
    sent >= MAX_CUSTOMER_PROOFS
      ? html`<p>You have sent ${MAX_CUSTOMER_PROOFS} files, the most this page takes. Write to us if something is missing.</p>`
      : html`<h2>${sent > 0 ? "Send another file" : "Send us your proof of payment"}</h2>
<p>Once you have made the transfer, send us a photo, a screenshot or your bank's PDF confirmation of it here.</p>
<form method="post" action="/pay/${token}/proof" enctype="multipart/form-data">
<input type="hidden" name="attempt" value="${attempt.id}">
<label for="proof-file">Photo or PDF of your transfer</label>
<span class="hint" id="proof-file-hint">JPEG, PNG, HEIC or PDF, at most 10 MB.</span>
<input id="proof-file" name="file" type="file" accept="${ACCEPT}" required aria-describedby="proof-file-hint${options.error ? " proof-error" : ""}"${options.error ? html` aria-invalid="true"` : ""}>
<label for="proof-note">A note for us (optional)</label>
<span class="hint" id="proof-note-hint">For example the day you paid and the name on the account it came from.</span>
<textarea id="proof-note" name="note" rows="3" maxlength="${MAX_CUSTOMER_NOTE}" aria-describedby="proof-note-hint">${options.note ?? ""}</textarea>
<button type="submit">Send the proof</button>
</form>`;
  return html`<h1>Pay ${amount} for ${reference}</h1>${error}${received}<p>${options.instructions}</p>${form}`;
}
