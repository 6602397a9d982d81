-- 0014_case_place: where the violation of a case happened (issue 6 item 4,
-- the closed loop from cases back to risk; src/cases/outcome.c, src/loop).
--
-- Both are optional and set with the outcome: the process of the case's
-- department's risk register (0013) in which the violation took place, and
-- the unit of the department where it did. Like the category and the
-- outcome they are statistical metadata in the clear, and they outlive the
-- retention purge (src/cases/purge.c empties content, never these columns),
-- so that "where were the risks greatest" can count violations of years
-- whose content is long gone. That the process belongs to the case's
-- department, and the unit lies under it, is checked by the storage in the
-- transaction that sets them (a foreign key cannot follow the tree); the
-- foreign keys keep a referenced process or organisation from being deleted
-- under the statistics.
ALTER TABLE case_file ADD COLUMN process_id INTEGER REFERENCES risk_process(id);
ALTER TABLE case_file ADD COLUMN unit_id INTEGER REFERENCES org(id);
CREATE INDEX case_file_process ON case_file(process_id) WHERE process_id IS NOT NULL;
