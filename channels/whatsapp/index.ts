// The whatsapp channel: one adapter, two drivers (WHATSAPP_DRIVER=cloud, Meta's API; =web, whatsapp-web.js).
import { ChannelSendError, type ChannelAdapter } from "../adapter";
import type { ChannelDeps } from "../deps";
import { whatsappCloudChannel } from "./cloud";
import { defaultSessionDir, type WebClient } from "./web/client";
import { whatsappWebChannel } from "./web";

export function whatsappChannel(deps: ChannelDeps): ChannelAdapter {
  const { env } = deps;
  if (env.WHATSAPP_DRIVER === "cloud") {
    return whatsappCloudChannel(deps, {
      verifyToken: env.WHATSAPP_VERIFY_TOKEN!,
      appSecret: env.WHATSAPP_APP_SECRET!,
      graphUrl: env.WHATSAPP_GRAPH_URL,
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID!,
      accessToken: env.WHATSAPP_ACCESS_TOKEN!,
      reopenTemplate: env.WHATSAPP_REOPEN_TEMPLATE,
      templateLanguage: env.WHATSAPP_TEMPLATE_LANGUAGE,
    });
  }
  if (env.WHATSAPP_DRIVER === "web") {
    const settings = {
      sessionDir: env.WHATSAPP_WEB_SESSION_DIR ?? defaultSessionDir(env.HUB_DATA_DIR),
      chromiumPath: env.WHATSAPP_WEB_CHROMIUM_PATH!,
    };
    return whatsappWebChannel(deps, settings, deps.outside?.whatsappWebClient as WebClient | undefined);
  }
  // Not connected: WhatsApp leads may still be entered through the API, but nothing can be sent to them.
  return {
    source: "whatsapp",
    status: () => ({ connected: false, mode: "off (WHATSAPP_DRIVER not set)", warnings: [] }),
    mount() {},
    async send() {
      throw new ChannelSendError(
        "WhatsApp is not connected: set WHATSAPP_DRIVER (cloud or web) and its settings",
        false,
      );
    },
  };
}
