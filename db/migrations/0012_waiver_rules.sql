-- The backup release waiver's evidence, protected by the database whatever writes to it (the app,
-- a script, psql). Published texts, seals and consents are never rewritten or removed; a signed
-- waiver never changes; what a sent waiver says is fixed from the moment it is sent.
CREATE OR REPLACE FUNCTION waiver_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER waiver_text_versions_no_update_delete
  BEFORE UPDATE OR DELETE ON waiver_text_versions
  FOR EACH ROW EXECUTE FUNCTION waiver_reject_change();
--> statement-breakpoint
CREATE TRIGGER waiver_text_versions_no_truncate
  BEFORE TRUNCATE ON waiver_text_versions
  FOR EACH STATEMENT EXECUTE FUNCTION waiver_reject_change();
--> statement-breakpoint
CREATE TRIGGER waiver_signatures_no_update_delete
  BEFORE UPDATE OR DELETE ON waiver_signatures
  FOR EACH ROW EXECUTE FUNCTION waiver_reject_change();
--> statement-breakpoint
CREATE TRIGGER waiver_signatures_no_truncate
  BEFORE TRUNCATE ON waiver_signatures
  FOR EACH STATEMENT EXECUTE FUNCTION waiver_reject_change();
--> statement-breakpoint
-- A consent is withdrawn once, by setting withdrawn_at; nothing else about it changes.
CREATE OR REPLACE FUNCTION waiver_consents_only_withdraw() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL
     AND (NEW.id, NEW.waiver_id, NEW.case_id, NEW.contact_id, NEW.disclosure_version_id, NEW.disclosure_sha256,
          NEW.consented_at, NEW.ip, NEW.user_agent)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.waiver_id, OLD.case_id, OLD.contact_id, OLD.disclosure_version_id, OLD.disclosure_sha256,
          OLD.consented_at, OLD.ip, OLD.user_agent)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'waiver_consents can only be withdrawn, once: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER waiver_consents_only_withdraw
  BEFORE UPDATE OR DELETE ON waiver_consents
  FOR EACH ROW EXECUTE FUNCTION waiver_consents_only_withdraw();
--> statement-breakpoint
CREATE TRIGGER waiver_consents_no_truncate
  BEFORE TRUNCATE ON waiver_consents
  FOR EACH STATEMENT EXECUTE FUNCTION waiver_reject_change();
--> statement-breakpoint
-- A signed waiver is final. Once sent, what the waiver says (its terms, the PDF the signer saw,
-- the versions and the signer) stays as sent; only its status and the ceremony's times move on.
CREATE OR REPLACE FUNCTION waivers_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'a signed waiver cannot be changed or deleted (%)', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'only a draft waiver can be deleted'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.unsigned_pdf IS NOT NULL
     AND (NEW.case_id, NEW.backups_stop_after, NEW.terms::text, NEW.unsigned_pdf, NEW.unsigned_sha256,
          NEW.template_version_id, NEW.disclosure_version_id, NEW.signer_contact_id, NEW.sent_at)
         IS DISTINCT FROM
         (OLD.case_id, OLD.backups_stop_after, OLD.terms::text, OLD.unsigned_pdf, OLD.unsigned_sha256,
          OLD.template_version_id, OLD.disclosure_version_id, OLD.signer_contact_id, OLD.sent_at)
  THEN
    RAISE EXCEPTION 'a sent waiver''s content cannot change'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'waivers_sent_content_fixed';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER waivers_guard
  BEFORE UPDATE OR DELETE ON waivers
  FOR EACH ROW EXECUTE FUNCTION waivers_guard();
--> statement-breakpoint
-- The dispositions a waiver agrees are part of its content: fixed once it leaves draft.
CREATE OR REPLACE FUNCTION waiver_backup_sets_draft_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.waiver_id ELSE NEW.waiver_id END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM waivers w WHERE w.id = target AND w.status = 'draft') THEN
    RAISE EXCEPTION 'the backup set dispositions of a waiver change only while it is a draft'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'waiver_backup_sets_draft_only';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER waiver_backup_sets_draft_only
  BEFORE INSERT OR UPDATE OR DELETE ON waiver_backup_sets
  FOR EACH ROW EXECUTE FUNCTION waiver_backup_sets_draft_only();
