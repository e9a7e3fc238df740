-- One word for a still image: 'photo', as the command line, python-threatexchange and HMA say.
-- 'image' is still accepted wherever a content type is given, and read as 'photo'; rows stored
-- with it are renamed here, so lists, filters and rules see one word.
UPDATE submissions SET content_type = 'photo' WHERE content_type = 'image';
-- In rule conditions only content_types holds content-type words.
UPDATE rules SET conditions = REPLACE(conditions, '"image"', '"photo"') WHERE conditions LIKE '%"content_types"%"image"%';
