-- inquiry_metrics_daily.revenue becomes minor units (pence) in the next migration, as every amount in the hub is:
-- the pounds kept so far are turned into pence here, while the column still holds fractions, so the type change
-- loses nothing.
UPDATE "inquiry_metrics_daily" SET "revenue" = "revenue" * 100;
