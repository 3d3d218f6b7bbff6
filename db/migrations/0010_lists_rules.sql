-- Published list versions and the consents given in acknowledgements are evidence: once written,
-- they never change or disappear.
CREATE OR REPLACE FUNCTION lists_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER list_versions_no_update_delete
  BEFORE UPDATE OR DELETE ON list_versions
  FOR EACH ROW EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
CREATE TRIGGER list_versions_no_truncate
  BEFORE TRUNCATE ON list_versions
  FOR EACH STATEMENT EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
CREATE TRIGGER list_retrieval_consents_no_update_delete
  BEFORE UPDATE OR DELETE ON list_retrieval_consents
  FOR EACH ROW EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
CREATE TRIGGER list_retrieval_consents_no_truncate
  BEFORE TRUNCATE ON list_retrieval_consents
  FOR EACH STATEMENT EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
-- An acknowledgement is never removed or rewritten; publishing a newer version only marks it
-- superseded, once.
CREATE OR REPLACE FUNCTION list_acknowledgements_only_supersede() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.superseded_at IS NULL
     AND (NEW.id, NEW.case_id, NEW.version_id, NEW.version_sha256, NEW.contact_id, NEW.contact_label,
          NEW.acknowledged_at, NEW.ip, NEW.user_agent)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.case_id, OLD.version_id, OLD.version_sha256, OLD.contact_id, OLD.contact_label,
          OLD.acknowledged_at, OLD.ip, OLD.user_agent)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'list_acknowledgements: an acknowledgement can only be marked superseded, once (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER list_acknowledgements_guard
  BEFORE UPDATE OR DELETE ON list_acknowledgements
  FOR EACH ROW EXECUTE FUNCTION list_acknowledgements_only_supersede();
--> statement-breakpoint
CREATE TRIGGER list_acknowledgements_no_truncate
  BEFORE TRUNCATE ON list_acknowledgements
  FOR EACH STATEMENT EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
-- A dispute is the customer's word: it stays as written. Staff may answer it, once.
CREATE OR REPLACE FUNCTION list_disputes_only_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.answered_at IS NULL
     AND (NEW.id, NEW.case_id, NEW.version_id, NEW.item_id, NEW.item_label, NEW.comment, NEW.contact_id,
          NEW.contact_label, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.case_id, OLD.version_id, OLD.item_id, OLD.item_label, OLD.comment, OLD.contact_id,
          OLD.contact_label, OLD.created_at)
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'list_disputes: a dispute can only be answered, once (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER list_disputes_guard
  BEFORE UPDATE OR DELETE ON list_disputes
  FOR EACH ROW EXECUTE FUNCTION list_disputes_only_answer();
--> statement-breakpoint
CREATE TRIGGER list_disputes_no_truncate
  BEFORE TRUNCATE ON list_disputes
  FOR EACH STATEMENT EXECUTE FUNCTION lists_reject_change();
--> statement-breakpoint
-- The retrieval rule, behind the domain check in app/lists/retrieval.server.ts: MSP-owned network
-- gear keeps the customer's office running until cutover, so its retrieval window may start before
-- the cutover date only from a date the customer agreed to in a list acknowledgement.
CREATE OR REPLACE FUNCTION network_retrieval_is_agreed(p_case_id uuid, p_item_id uuid, p_starts_on date)
RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM list_retrieval_consents c
    WHERE c.case_id = p_case_id AND c.hardware_item_id = p_item_id AND c.earliest_on <= p_starts_on
  );
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION hardware_items_network_retrieval_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cutover date;
BEGIN
  IF NEW.owner = 'msp'
     AND NEW.category IN ('firewall', 'router', 'switch', 'access_point')
     AND NEW.retrieval_window_starts_on IS NOT NULL
  THEN
    SELECT cutover_on INTO cutover FROM cases WHERE id = NEW.case_id;
    IF NEW.retrieval_window_starts_on < cutover
       AND NOT network_retrieval_is_agreed(NEW.case_id, NEW.id, NEW.retrieval_window_starts_on)
    THEN
      RAISE EXCEPTION 'MSP-owned network gear cannot be collected before cutover (%) without the customer''s agreement', cutover
        USING ERRCODE = 'check_violation', CONSTRAINT = 'hardware_items_network_retrieval_after_cutover',
              TABLE = 'hardware_items';
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER hardware_items_network_retrieval_rule
  BEFORE INSERT OR UPDATE ON hardware_items
  FOR EACH ROW EXECUTE FUNCTION hardware_items_network_retrieval_rule();
--> statement-breakpoint
-- Moving cutover later must not leave a network item scheduled for pick-up before the new date.
CREATE OR REPLACE FUNCTION cases_cutover_network_retrieval_rule() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.cutover_on > OLD.cutover_on AND EXISTS (
    SELECT 1 FROM hardware_items h
    WHERE h.case_id = NEW.id
      AND h.owner = 'msp'
      AND h.category IN ('firewall', 'router', 'switch', 'access_point')
      AND h.retrieval_window_starts_on < NEW.cutover_on
      AND NOT network_retrieval_is_agreed(h.case_id, h.id, h.retrieval_window_starts_on)
  ) THEN
    RAISE EXCEPTION 'Cutover cannot move past the retrieval of MSP-owned network gear the customer has not agreed to'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'cases_cutover_before_network_retrieval', TABLE = 'cases';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER cases_cutover_network_retrieval_rule
  BEFORE UPDATE OF cutover_on ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_cutover_network_retrieval_rule();
