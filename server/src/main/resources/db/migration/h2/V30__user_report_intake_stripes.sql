-- Report intake locks, instead of one row for every report, a row for each of the content id, URL
-- and account a report names, out of 1024 (userreport.IntakeLocks): reports of unrelated content
-- no longer wait for each other's commits. A server of an earlier version on this database finds
-- no 'user_report_intake' row and refuses reports until it is upgraded.
DELETE FROM store_locks WHERE name = 'user_report_intake';
INSERT INTO store_locks (name) SELECT 'user_report_intake/' || CAST(X AS VARCHAR) FROM SYSTEM_RANGE(0, 1023);

-- Whether the reporter already reported the case, looked up for every report, without reading
-- every report of a case that has thousands.
CREATE INDEX user_reports_by_case_reporter ON user_reports (case_id, reporter_id);
