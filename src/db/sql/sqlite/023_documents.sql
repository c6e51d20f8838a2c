-- 023_documents: official documents (公文) in PDF (src/notice/pdf.c).  The
-- PostgreSQL twin is src/db/sql/pg/023_documents.sql and must describe the
-- same columns.
--
-- An issued notice also stores its PDF (base64 text, as the workbook) and the
-- PDF's SHA-256, which its chain hash covers (src/notice/issue.c).  Notices
-- issued before this migration have neither: '' in both, and their hash is
-- computed without them, so they verify as they did.  Adding columns is no
-- UPDATE: the immutability triggers of 006 are untouched.
ALTER TABLE notices ADD COLUMN pdf TEXT NOT NULL DEFAULT '';
ALTER TABLE notices ADD COLUMN pdf_sha256 TEXT NOT NULL DEFAULT '';
