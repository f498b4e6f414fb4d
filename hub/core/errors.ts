// Errors the hub's services raise; the HTTP layer turns each kind into its status once, at the boundary.

/**
 * `unprocessable`: well-formed, but the world says no (a resource closed at that hour, a party too large). `gone`: it
 * was there and was removed for good (a proof's file erased under UK GDPR).
 */
export type HubErrorKind =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "unprocessable"
  | "unavailable";

export interface FieldError {
  /** Dotted path of the offending field in the request, e.g. `client.phone`. */
  field: string;
  message: string;
}

export class HubError extends Error {
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = "HubError";
  }
}

export const invalid = (field: string, message: string) =>
  new HubError("invalid", `${field}: ${message}`, [{ field, message }]);
