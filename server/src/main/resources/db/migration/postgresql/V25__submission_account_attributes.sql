-- What the platform verified of the account that posted the content (public interest, news
-- organisation, researcher, government, civil society), as a JSON list: such content waits for a
-- person, and the reviewer is shown why.
ALTER TABLE submissions ADD COLUMN account_attributes VARCHAR(400);
