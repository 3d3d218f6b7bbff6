// Every email Handover sends, by name. app/mail renders them; a new email is a new file here and
// one entry below. Subjects are stored unencrypted in the outbox, so they never carry a secret.
import type { ComponentType } from "react";
import type { EmailBrand } from "./brand";
import ContactInvitationEmail, { type ContactInvitationProps, contactInvitationSubject } from "./contact-invitation";
import CredentialAccessEmail, { type CredentialAccessProps, credentialAccessSubject } from "./credential-access";
import CredentialKeysReminderEmail, { type CredentialKeysReminderProps, credentialKeysReminderSubject } from "./credential-keys-reminder";
import ListPublishedEmail, { type ListPublishedProps, listPublishedSubject } from "./list-published";
import NotificationEmail, { type NotificationProps, notificationSubject } from "./notification";
import SignInLinkEmail, { type SignInLinkProps, signInLinkSubject } from "./sign-in-link";
import StepUpCodeEmail, { type StepUpCodeProps, stepUpCodeSubject } from "./step-up-code";
import WaiverRequestEmail, { type WaiverRequestProps, waiverRequestSubject } from "./waiver-request";
import WaiverSignedEmail, { type WaiverSignedProps, waiverSignedSubject } from "./waiver-signed";

interface EmailTemplate<Props> {
  component: ComponentType<Props & { brand: EmailBrand }>;
  subject: (props: Props, brand: EmailBrand) => string;
}

const template = <Props,>(entry: EmailTemplate<Props>) => entry;

export const emailTemplates = {
  "contact-invitation": template<ContactInvitationProps>({
    component: ContactInvitationEmail,
    subject: contactInvitationSubject,
  }),
  "sign-in-link": template<SignInLinkProps>({ component: SignInLinkEmail, subject: signInLinkSubject }),
  "step-up-code": template<StepUpCodeProps>({ component: StepUpCodeEmail, subject: stepUpCodeSubject }),
  notification: template<NotificationProps>({ component: NotificationEmail, subject: notificationSubject }),
  "waiver-request": template<WaiverRequestProps>({ component: WaiverRequestEmail, subject: waiverRequestSubject }),
  "waiver-signed": template<WaiverSignedProps>({ component: WaiverSignedEmail, subject: waiverSignedSubject }),
  "list-published": template<ListPublishedProps>({ component: ListPublishedEmail, subject: listPublishedSubject }),
  "credential-access": template<CredentialAccessProps>({ component: CredentialAccessEmail, subject: credentialAccessSubject }),
  "credential-keys-reminder": template<CredentialKeysReminderProps>({
    component: CredentialKeysReminderEmail,
    subject: credentialKeysReminderSubject,
  }),
};

export type EmailTemplateName = keyof typeof emailTemplates;
export type EmailTemplateProps<Name extends EmailTemplateName> = Parameters<(typeof emailTemplates)[Name]["subject"]>[0];

export type { EmailBrand } from "./brand";
export type { ContactInvitationProps, NotificationProps, SignInLinkProps, StepUpCodeProps };
export type { WaiverRequestProps, WaiverSignedProps };
export type { CredentialAccessProps, CredentialKeysReminderProps };
export type { ListPublishedProps };
