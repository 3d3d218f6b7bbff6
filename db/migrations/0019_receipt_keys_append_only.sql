-- The public keys of signing receipts are evidence: a receipt issued years ago is checked against them.
CREATE TRIGGER receipt_keys_no_update_delete
  BEFORE UPDATE OR DELETE ON receipt_keys
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_evidence();
--> statement-breakpoint
CREATE TRIGGER receipt_keys_no_truncate
  BEFORE TRUNCATE ON receipt_keys
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_evidence();
