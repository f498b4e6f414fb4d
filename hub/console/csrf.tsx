// The CSRF token's field: every POST form of the console carries it (guards.ts checks it).
/** The form field's name; a script may send the token as the X-CSRF-Token header instead. */
export const CSRF_FIELD = "_csrf";

/** `<CsrfField token={c.get("csrf")} />` in every POST form. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}
