-- 0013_risks: reserved for issue 6; filled in by the change that uses it.
SELECT 1;
