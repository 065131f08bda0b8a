"""The historical archive API, shaped like DATA.GOV.HK's: every upload is a snapshot."""
