// A tiny HTTP server on loopback standing in for an outside service: it ships with the project for `npm run demo`, and the tests use the same one.
export * from "../../../scripts/demo/fakes/server";
