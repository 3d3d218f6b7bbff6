// The first published versions of the waiver template and of the electronic-records disclosure.
// They are written into the database as version 1 on first use; admins and legal publish later
// versions from the staff area. Format: "# " title, "## " section headings, blank lines between
// paragraphs, {{placeholders}} filled from the case, and [[blocks]] where the tables go.

export const BUILT_IN_WAIVER_TEMPLATE = `# Backup release and waiver

## 1. Parties
This release is made between {{msp.name}} ("the MSP") and {{customer.name}} ("the Customer") in connection with the Customer's move of its IT services to {{provider.name}} ("the Incoming Provider"), handover case {{case.reference}}.

## 2. Why this release exists
The MSP currently runs backups of the Customer's systems. Good practice is to keep those backups running until the Incoming Provider has a verified, successful backup of the same data. This release records the Customer's informed decision to let the MSP's backups stop without waiting for that verification, for the jobs listed below.

## 3. Backup jobs released
The Customer authorises the MSP to stop each backup job listed below at any time after {{stop.date}}. Once a job has stopped, the MSP makes no further backups of the data that job covered.

[[backup-jobs]]

## 4. Historical backups
The MSP holds the historical backup sets listed below. The Customer instructs the MSP to deal with each set as stated: to hand it over by the method and on the date given, to keep it until the date given and then destroy it, or to destroy it on the date given. Destruction is carried out securely, and the MSP confirms it in writing on request.

[[backup-sets]]

## 5. Responsibility after the stop date
The Customer understands that after a job has stopped, protecting the data it covered is a matter for the Customer and the Incoming Provider. The Customer confirms that it has had the opportunity to ask the Incoming Provider to verify its own backups before that date.

## 6. Release of liability
To the fullest extent permitted by law, the Customer releases the MSP, its staff and its subcontractors from any claim for the loss of, or the inability to restore, data that a released backup job would have captured after it stopped, or data held only in a historical backup set dealt with as instructed above. This release does not cover loss caused by the MSP's fraud, wilful misconduct or gross negligence, nor any liability that cannot be limited by law, and it does not change either party's obligations under their services agreement for the period before each job stops.

## 7. Electronic signature
The Customer agrees that this release may be signed electronically through the MSP's handover portal and that the electronic signature has the same effect as a handwritten one. A sealed copy, with a certificate of completion, is sent to the signer, to the MSP and to the Incoming Provider.

## 8. Authority to sign
{{signer}} signs on behalf of {{customer.name}} and confirms that they are authorised to do so.
`;

export const BUILT_IN_ESIGN_DISCLOSURE = `# Consent to electronic records and signatures

## What you are agreeing to
{{msp.name}} asks you to receive, review and sign the backup release and waiver for {{customer.name}} (handover case {{case.reference}}) electronically, through this portal, instead of on paper. This consent covers that document, the records of its signature (including the certificate of completion) and the notices we send you about it. It does not cover any other document or agreement.

## Your right to a paper copy
You may ask for a paper copy of the waiver and of any record about it at any time, free of charge, by writing to {{msp.contact}}. Asking for a paper copy does not withdraw your consent.

## Signing on paper instead
You are not required to sign electronically. If you prefer to sign on paper, do not give this consent and tell us at {{msp.contact}}; we will send you the document to sign by hand.

## How to withdraw your consent, and what follows
You can withdraw this consent at any time before you sign, with the "Withdraw consent" button on this page or by writing to {{msp.contact}}. If you withdraw it, we stop the electronic signature of this waiver and arrange a paper signature instead, which can take longer; until the waiver is signed, the MSP's backups keep running. Withdrawing consent after you have signed does not undo a signature you have already given.

## Hardware and software you need
- A computer, tablet or phone with a current web browser (recent versions of Chrome, Edge, Firefox or Safari), with cookies enabled.
- Access to the email account at the address we hold for you, to receive sign-in links, six-digit confirmation codes and the signed copy.
- Software that opens PDF files, and the ability to download or print them, to keep a copy.
- To draw your signature you need JavaScript; you can instead type it with your keyboard.

## Keeping your contact details up to date
Your sign-in links, codes and the signed copy go to the email address we hold for you. To change it, write to {{msp.contact}} or ask your contact at {{msp.name}}; until then we keep using the address on file.

## Your confirmation
By giving consent you confirm that you can open and read this disclosure and PDF documents on your device, and that you agree to use electronic records and signatures for this waiver as described above.
`;
