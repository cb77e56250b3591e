# Django's Swedish formats (ISO dates, as Swedes write them), plus our own named ones.
# "b" is the month in lowercase, as Swedish writes it ("M" would give "Jul").
WEEKDAY_DATE_FORMAT = "D j b Y"  # 'tis 14 jul 2026'
CHART_DATE_FORMAT = "Y-m-d"  # '2026-07-14'
