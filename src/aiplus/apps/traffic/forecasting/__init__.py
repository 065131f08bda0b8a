"""Travel-time forecasting: series cleaning, baselines, boosting, STID, conformal intervals."""
