-- Checkpoints and the keys that signed them are evidence, like the audit trail they vouch for.
CREATE OR REPLACE FUNCTION reject_change_of_evidence() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_evidence();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate
  BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_evidence();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_keys_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_checkpoint_keys
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_evidence();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoint_keys_no_truncate
  BEFORE TRUNCATE ON audit_checkpoint_keys
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_evidence();
