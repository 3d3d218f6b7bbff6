export type StaffAuditEvent =
  | { action: "staff.user_created"; payload: { userId: string; email: string; name: string; role: string } }
  | { action: "staff.signed_in"; payload: { userId: string } }
  | { action: "staff.sign_in_failed"; payload: { email: string; reason: string } }
  | { action: "staff.signed_out"; payload: { userId: string; everywhere: boolean } }
  | { action: "staff.password_set"; payload: { userId: string } }
  | { action: "staff.totp_enrolled"; payload: { userId: string } }
  | { action: "staff.recovery_code_used"; payload: { userId: string } }
  | { action: "staff.recovery_codes_regenerated"; payload: { userId: string } }
  | { action: "staff.stepped_up"; payload: { userId: string } }
  | { action: "staff.role_changed"; payload: { userId: string; from: string; to: string } }
  | { action: "staff.deactivated"; payload: { userId: string } }
  | { action: "staff.reactivated"; payload: { userId: string } }
  | { action: "staff.setup_link_issued"; payload: { userId: string } }
  | { action: "msp.profile_updated"; payload: { fields: string[] } };
