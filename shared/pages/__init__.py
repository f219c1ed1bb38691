"""HTML pages people read (the staff console now; the citizen portal later): rendered on the server, no
script, every style inline, zh-CN and en, WCAG 2.1 AA; IDs and phones masked in everything shown."""
