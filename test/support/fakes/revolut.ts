// The fake Revolut Merchant API: it ships with the project for `npm run demo`, and the tests use the same one.
export * from "../../../scripts/demo/fakes/revolut";
