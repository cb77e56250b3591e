# Django's Finnish formats, plus our own named ones (see suhde.common.formats).
WEEKDAY_DATE_FORMAT = "D j.n.Y"  # 'ti 14.7.2026'
CHART_DATE_FORMAT = "j.n.Y"  # '14.7.2026'
# Django's "j. F" gives "8. syyskuu"; a day of a month is written in the partitive: "8. syyskuuta".
MONTH_DAY_FORMAT = "j. E"
