"""parts: the parts department of each site (manual 2.3 and chapter 5)."""
