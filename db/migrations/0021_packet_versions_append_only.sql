-- A packet version is the record of what was handed over: once made it never changes or goes,
-- also after the case is closed (a closed case still hands out its packet, and records it).
CREATE TRIGGER handover_packet_versions_no_update_delete
  BEFORE UPDATE OR DELETE ON handover_packet_versions
  FOR EACH ROW EXECUTE FUNCTION reject_change_of_evidence();
--> statement-breakpoint
CREATE TRIGGER handover_packet_versions_no_truncate
  BEFORE TRUNCATE ON handover_packet_versions
  FOR EACH STATEMENT EXECUTE FUNCTION reject_change_of_evidence();
