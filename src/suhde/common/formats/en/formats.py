# English without a country's numeric dates: the month is spelled, the clock has 24 hours.
DATE_FORMAT = "j F Y"  # '14 July 2026'
TIME_FORMAT = "H:i"  # '14:30'
DATETIME_FORMAT = "j F Y, H:i"  # '14 July 2026, 14:30'
YEAR_MONTH_FORMAT = "F Y"  # 'July 2026'
MONTH_DAY_FORMAT = "j F"  # '14 July'
SHORT_DATE_FORMAT = "j M Y"  # '14 Jul 2026'
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # '14 Jul 2026, 14:30'
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-07-14'
    "%d %b %Y",  # '14 Jul 2026'
    "%d %B %Y",  # '14 July 2026'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2026-07-14 14:30:59'
    "%Y-%m-%d %H:%M",  # '2026-07-14 14:30'
]
WEEKDAY_DATE_FORMAT = "D j M Y"  # 'Tue 14 Jul 2026'
CHART_DATE_FORMAT = "j M Y"  # '14 Jul 2026'
