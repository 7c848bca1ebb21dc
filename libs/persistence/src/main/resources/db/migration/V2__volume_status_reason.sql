-- Why a volume is in an error status, in words for operators ("No valid backend was found. cluster1@fs1: frozen").
-- Cinder keeps this in its separate user-messages API; one column is enough while Tandem has no messages API.
ALTER TABLE volumes ADD COLUMN status_reason text;
