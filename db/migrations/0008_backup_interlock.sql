-- The backup interlock, in the database: the last line of defence behind setBackupJobState in
-- app/cases/backups.server.ts. A backup job may become 'stopped' only when the incoming provider's
-- backup of that job has been verified, or when a signed waiver of the same case releases it.
-- Whatever writes the row (the app, a script, psql), a stop without either is refused.
CREATE OR REPLACE FUNCTION backup_jobs_stop_interlock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'stopped' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM 'stopped') THEN
    IF NOT EXISTS (
      SELECT 1 FROM backup_reports r
      WHERE r.backup_job_id = NEW.id AND r.case_id = NEW.case_id AND r.status = 'verified'
    ) AND NOT EXISTS (
      SELECT 1 FROM waiver_backup_jobs wj
      JOIN waivers w ON w.id = wj.waiver_id
      WHERE wj.backup_job_id = NEW.id AND w.case_id = NEW.case_id
        AND w.status = 'signed' AND w.signed_at IS NOT NULL
    ) THEN
      RAISE EXCEPTION 'backup job % cannot be stopped: no verified new-provider backup and no signed waiver covers it', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'backup_jobs_stop_interlock';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER backup_jobs_stop_interlock
  BEFORE INSERT OR UPDATE OF state ON backup_jobs
  FOR EACH ROW EXECUTE FUNCTION backup_jobs_stop_interlock();
--> statement-breakpoint
-- A report is evidence: it names a job of its own case, its facts and file never change, it is
-- reviewed once (submitted → verified or rejected), and it is never deleted — a stopped job's
-- justification must still be there years later.
CREATE OR REPLACE FUNCTION backup_reports_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'backup reports are kept as evidence: % is not allowed', TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM backup_jobs j WHERE j.id = NEW.backup_job_id AND j.case_id = NEW.case_id) THEN
      RAISE EXCEPTION 'a backup report must name a backup job of its own case'
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'backup_reports_job_in_case';
    END IF;
    IF NEW.status <> 'submitted' THEN
      RAISE EXCEPTION 'a backup report starts as submitted'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'backup_reports_review_once';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'submitted' OR NEW.status = 'submitted' THEN
    RAISE EXCEPTION 'a backup report is reviewed once: % → % is not allowed', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'backup_reports_review_once';
  END IF;
  IF (NEW.id, NEW.case_id, NEW.backup_job_id, NEW.completed_at, NEW.provider_system, NEW.job_reference, NEW.notes,
      NEW.evidence_filename, NEW.evidence_content_type, NEW.evidence_size, NEW.evidence_sha256, NEW.evidence,
      NEW.reported_by_contact_id, NEW.reported_by_label, NEW.reported_at)
     IS DISTINCT FROM
     (OLD.id, OLD.case_id, OLD.backup_job_id, OLD.completed_at, OLD.provider_system, OLD.job_reference, OLD.notes,
      OLD.evidence_filename, OLD.evidence_content_type, OLD.evidence_size, OLD.evidence_sha256, OLD.evidence,
      OLD.reported_by_contact_id, OLD.reported_by_label, OLD.reported_at) THEN
    RAISE EXCEPTION 'a backup report''s facts and evidence cannot change'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'backup_reports_facts_fixed';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER backup_reports_guard
  BEFORE INSERT OR UPDATE OR DELETE ON backup_reports
  FOR EACH ROW EXECUTE FUNCTION backup_reports_guard();
--> statement-breakpoint
CREATE TRIGGER backup_reports_no_truncate
  BEFORE TRUNCATE ON backup_reports
  FOR EACH STATEMENT EXECUTE FUNCTION backup_reports_guard();
