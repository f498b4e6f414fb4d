// The fake Telegram Bot API: it ships with the project for `npm run demo`, and the tests use the same one.
export * from "../../../scripts/demo/fakes/telegram-bot-api";
