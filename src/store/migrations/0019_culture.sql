-- 0019_culture: reserved for issue 7; filled in by the change that uses it.
SELECT 1;
