// The front door of hub/templates: what code outside it may use. Everything else in the folder is its own.
export { TEMPLATE_KEYS, type TemplateKey } from "./defaults";
export { renderTemplate, renderTemplates } from "./render";
export { type MessageTemplate, changeTemplate, listTemplates, resetTemplate } from "./store";
