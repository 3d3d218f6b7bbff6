-- A closed case is a record: nothing of it may change afterwards, not even by SQL outside the app.
-- The domain refuses first (changeOpenCase); these triggers make the rule hold for every writer.
-- What stays writable after closure is what is not the case's record: the audit trail and its
-- checkpoints, outbox mail, document download records, and the key material of the vault (a master
-- key rotation re-wraps every data key; the end of portal access destroys the secrets).
CREATE OR REPLACE FUNCTION reject_change_of_closed_case() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  affected jsonb[] := '{}';
  item jsonb;
  row_case uuid;
  closed_reference text;
  key_columns text[];
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN affected := affected || to_jsonb(OLD); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN affected := affected || to_jsonb(NEW); END IF;
  -- Destroying secrets and re-wrapping data keys touch only key material, never what was agreed.
  -- (PL/pgSQL does not short-circuit AND, so the table is tested before its columns are read.)
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME IN ('credentials', 'case_vaults') THEN
    key_columns := CASE TG_TABLE_NAME
      WHEN 'credentials' THEN ARRAY['secret_ciphertext', 'totp_ciphertext', 'notes_ciphertext', 'purged_at', 'updated_at']
      ELSE ARRAY['wrapped_data_key', 'master_key_id', 'purged_at', 'updated_at'] END;
    -- A credential's ciphertexts may only be destroyed; a data key may be re-wrapped or destroyed.
    IF to_jsonb(OLD) ->> 'purged_at' IS NULL
       AND (TG_TABLE_NAME = 'case_vaults' OR to_jsonb(NEW) ->> 'purged_at' IS NOT NULL)
       AND (to_jsonb(NEW) - key_columns) = (to_jsonb(OLD) - key_columns) THEN
      RETURN NEW;
    END IF;
  END IF;
  FOREACH item IN ARRAY affected LOOP
    IF TG_ARGV[0] = 'waiver_id' THEN
      SELECT w.case_id INTO row_case FROM waivers w WHERE w.id = (item ->> 'waiver_id')::uuid;
    ELSE
      row_case := (item ->> 'case_id')::uuid;
    END IF;
    SELECT c.reference INTO closed_reference FROM cases c WHERE c.id = row_case AND c.status = 'closed';
    IF FOUND THEN
      RAISE EXCEPTION 'case % is closed: % on % is not allowed', closed_reference, TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- The case row itself: closing is the last change it accepts (closed_at and closed_by stay as set).
CREATE OR REPLACE FUNCTION reject_change_of_closed_case_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'case % is closed: % on cases is not allowed', OLD.reference, TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_closed_locked BEFORE UPDATE OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case_row();
--> statement-breakpoint
CREATE TRIGGER case_contacts_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON case_contacts
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER hardware_items_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON hardware_items
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER subscriptions_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER backup_jobs_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON backup_jobs
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER backup_sets_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON backup_sets
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER backup_reports_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON backup_reports
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER backup_reminders_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON backup_reminders
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER waivers_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON waivers
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER waiver_backup_jobs_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON waiver_backup_jobs
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('waiver_id');
--> statement-breakpoint
CREATE TRIGGER waiver_backup_sets_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON waiver_backup_sets
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('waiver_id');
--> statement-breakpoint
CREATE TRIGGER waiver_consents_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON waiver_consents
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER waiver_signatures_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON waiver_signatures
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER case_vaults_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON case_vaults
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER credentials_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON credentials
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER list_versions_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON list_versions
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER list_acknowledgements_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON list_acknowledgements
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER list_retrieval_consents_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON list_retrieval_consents
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER list_early_retrieval_proposals_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON list_early_retrieval_proposals
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER list_disputes_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON list_disputes
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER support_responsibility_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON support_responsibility
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER msp_access_points_closed_locked BEFORE INSERT OR UPDATE OR DELETE ON msp_access_points
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
-- Sessions and sign-in links may still be deleted (closing deletes them), but none is created anew.
CREATE TRIGGER contact_sessions_closed_locked BEFORE INSERT ON contact_sessions
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
--> statement-breakpoint
CREATE TRIGGER contact_sign_in_links_closed_locked BEFORE INSERT ON contact_sign_in_links
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_closed_case('case_id');
