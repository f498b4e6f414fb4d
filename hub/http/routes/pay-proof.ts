// POST /pay/{token}/proof: the form on a manual payment page that sends the customer's own proof of their transfer.
// A page, not an API: every answer is an HTML page (a refusal says why, beside the form when it is still of use).
// Against forged forms: the link's token is the key (no cookie to ride on), the form carries the id of the attempt
// its page showed, and a post from another site is refused (Origin, Sec-Fetch-Site), as the console refuses one.
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { addCustomerProof, type CustomerProofRefusal, type PayPageState, payPageState } from "../../../payments";
import { crossOriginRefusal } from "../../console/origin";
import type { AppDeps, HubEnv } from "../context";
import { PROOF_BODY_LIMIT } from "./payments";

export interface PageRefusal {
  status: ContentfulStatusCode;
  reason: string;
  /** The note the customer typed, given back. */
  note?: string | undefined;
}

type Show = (c: Context, token: string, state: PayPageState, refusal?: PageRefusal) => Response | Promise<Response>;

const STATUS_OF: Record<CustomerProofRefusal, ContentfulStatusCode> = {
  forged: 403,
  paid: 409,
  closed: 410,
  unavailable: 409,
  not_manual: 409,
  out_of_date: 409,
  no_file: 400,
  empty: 400,
  not_a_proof_type: 400,
  note_too_long: 400,
  too_large: 413,
  duplicate: 409,
  too_many: 409,
};

const html = (description: string) => ({ description, content: { "text/html": { schema: z.string() } } });

export function payProofRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>, show: Show) {
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/pay/{token}/proof",
      tags: ["Payments"],
      summary:
        "The manual payment page's form: the customer's own proof of their transfer (a PDF, JPEG, PNG or HEIC of at most 10 MB) and a note; 303 back to the page",
      description:
        "A page route (HTML answers, not problem+json). multipart/form-data with `file`, `note` (optional, at most 2000 characters) and `attempt` (the form's token: the id of the manual attempt the page showed). Kept as a proof with `via: customer`; staff are told; a manager approves it as any proof.",
      security: [],
      request: {
        params: z.object({ token: z.string().openapi({ description: "The token from the payment link" }) }),
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({
                file: z.any().openapi({ type: "string", format: "binary" }),
                note: z.string().optional(),
                attempt: z.string().openapi({ description: "The form's token, from the page" }),
              }),
            },
          },
        },
      },
      responses: {
        303: { description: "Received: back to the payment page, which says so and what happens next" },
        400: html("No file, an empty one, not a PDF, JPEG, PNG or HEIC, or a note too long: the page with the reason"),
        403: html("Not from the payment page: another site, or a form token that is not the page's"),
        404: html("No such link"),
        409: html(
          "Already paid, no longer by bank transfer, no payment open, the page out of date, the same file again, or too many files",
        ),
        410: html("The booking is cancelled or expired: nothing to pay"),
        413: html("The file is larger than 10 MB"),
        415: html("Not multipart/form-data"),
      },
    }),
  );

  const refuse = async (c: Context, token: string, refusal: PageRefusal) =>
    show(c, token, await payPageState(deps.db, token), refusal);

  app.post(
    "/pay/:token/proof",
    // The app's 64 KiB limit stops short of files (isProofUpload): this is the staff upload's limit.
    bodyLimit({
      maxSize: PROOF_BODY_LIMIT,
      onError: (c) =>
        refuse(c, c.req.param("token") ?? "", {
          status: 413,
          reason: "The file is larger than 10 MB. Send a smaller photo, a screenshot or a PDF.",
        }),
    }),
    async (c) => {
      const token = c.req.param("token");
      const crossSite = crossOriginRefusal(c, deps.settings);
      if (crossSite) return refuse(c, token, { status: 403, reason: `${crossSite} Send it from your payment page.` });
      const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
      if (type !== "multipart/form-data")
        return refuse(c, token, { status: 415, reason: "Send the file with the form on your payment page." });
      const form = await c.req.parseBody().catch(() => undefined);
      if (!form)
        return refuse(c, token, {
          status: 400,
          reason: "The form could not be read. Choose the file and send it again.",
        });
      const note = typeof form.note === "string" ? form.note : undefined;
      const chosen = form.file instanceof File && (form.file.size > 0 || form.file.name) ? form.file : undefined;
      const outcome = await addCustomerProof(deps.payments.deps, {
        payToken: token,
        formToken: form.attempt,
        file: chosen && { name: chosen.name, bytes: new Uint8Array(await chosen.arrayBuffer()) },
        note,
      });
      if (outcome.kind === "unknown") return show(c, token, { kind: "unknown" });
      if (outcome.kind === "refused")
        return refuse(c, token, { status: STATUS_OF[outcome.why], reason: outcome.reason, note });
      // Post, then redirect, then get: the page says what was received, and a reload does not send it again.
      return c.redirect(`/pay/${token}`, 303);
    },
  );
}
