// Every parsed view of a request (JSON body, form fields, query, path) holds only text PostgreSQL can store.
import type { MiddlewareHandler } from "hono";
import { storableText, storableValue } from "../../db/storable";

/**
 * NUL and half surrogate pairs become U+FFFD here, once, so that validators, routes and channels (grammY's
 * webhook reads c.req.json() too) all see the same text and none of it can fail at the database. text() and
 * arrayBuffer() stay as sent: signatures are checked over those bytes, and a channel that checks one then reads
 * its body through json().
 */
export const storableInput: MiddlewareHandler = async (c, next) => {
  const req = c.req;
  // A reader whose result is made storable: synchronous (query, path) or a promise (bodies).
  const storable =
    <A extends unknown[]>(read: (...args: A) => unknown, clean: (value: unknown) => unknown = storableValue) =>
    (...args: A) => {
      const value = read.apply(req, args);
      return value instanceof Promise ? value.then(clean) : clean(value);
    };
  const { addValidatedData } = req;
  Object.assign(req, {
    json: storable(req.json),
    parseBody: storable(req.parseBody, (body) => storableValue(withStorableFileNames(body))),
    formData: storable(req.formData, (form) => storableForm(form as FormData)),
    query: storable(req.query as (key?: string) => unknown),
    queries: storable(req.queries as (key?: string) => unknown),
    param: storable(req.param as (key?: string) => unknown),
    // The form validator decodes the body's bytes itself, so what it hands on is made storable here; the other
    // targets were read through the readers above.
    addValidatedData: (target: Parameters<typeof addValidatedData>[0], data: object) =>
      addValidatedData.call(req, target, target === "form" ? storableValue(data) : data),
  });
  await next();
};

function storableForm(form: FormData): FormData {
  const storable = new FormData();
  for (const [key, value] of form)
    storable.append(storableText(key), typeof value === "string" ? storableText(value) : storableFile(value));
  return storable;
}

/** A file's name is text the hub keeps (a proof's file_name): the same rule, the bytes untouched. */
function storableFile(file: File): File {
  const name = storableText(file.name);
  return name === file.name ? file : new File([file], name, { type: file.type, lastModified: file.lastModified });
}

/** parseBody's fields: a value is text, a File, or several of them under one name. */
function withStorableFileNames(body: unknown): unknown {
  if (body === null || typeof body !== "object") return body;
  const file = (value: unknown) => (value instanceof File ? storableFile(value) : value);
  const copy = Object.create(Object.getPrototypeOf(body)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    Object.defineProperty(copy, key, {
      value: Array.isArray(value) ? value.map(file) : file(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
