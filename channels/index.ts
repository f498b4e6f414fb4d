// The channel registry: one adapter per lead source. Typed as a Record, so a missing channel is a compile error.
import type { ChannelRegistry } from "./adapter";
import type { ChannelDeps } from "./deps";
import { partnerChannel } from "./partner";
import { phoneChannel } from "./phone";
import { telegramChannel } from "./telegram";
import { webFormChannel } from "./web-form";
import { whatsappChannel } from "./whatsapp";

export function createChannels(deps: ChannelDeps): ChannelRegistry {
  return {
    web_form: webFormChannel(deps),
    whatsapp: whatsappChannel(deps),
    telegram: telegramChannel(deps),
    phone: phoneChannel(deps),
    partner: partnerChannel(deps),
  } satisfies ChannelRegistry;
}

export type { ChannelAdapter, ChannelRegistry } from "./adapter";
