// The front door of hub/health/system: the System Health dashboard's widgets (GET /health/system, the console).
export { type HealthThresholds, healthThresholds } from "./thresholds";
export { type SystemHealth, type WidgetName, WIDGETS, systemHealth } from "./system-health";
export { readableDuration, type Widget, type WidgetStatus, WIDGET_STATUSES } from "./widget";
