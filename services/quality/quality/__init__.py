"""quality: the final inspection before delivery (manual 4.2 and chapter 6, 质量检验)."""
