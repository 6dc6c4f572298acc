<#
.SYNOPSIS
    Export the S/MIME certificates Exchange Online holds for every mailbox, for
    "smime-guard admin bundle build".

.DESCRIPTION
    Reads UserCertificate and UserSMimeCertificate of each mailbox (Get-Mailbox) and mail
    user or contact (Get-Recipient) with Exchange Online PowerShell, and writes
        {"exported": "<ISO 8601>", "recipients": [{"address": "<primary SMTP>",
          "proxy_addresses": ["smtp:..."], "certificates": ["<base64 DER or PKCS#7>"]}]}
    Run it on a schedule (Task Scheduler), then sign the result:
        smime-guard admin bundle build --from export.json --sign admin.p12 `
            --password-env BUNDLE_P12_PASSWORD --out bundle.p7m
    and publish bundle.p7m where clients fetch it (the [[directory]] table of policy.toml).

.EXAMPLE
    Connect-ExchangeOnline -UserPrincipalName admin@clinic.example
    .\Export-SmimeCertificates.ps1 -OutFile C:\smime\export.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)] [string] $OutFile
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

if (-not (Get-Command Get-Mailbox -ErrorAction SilentlyContinue)) {
    throw 'Exchange Online PowerShell is not connected: run Connect-ExchangeOnline first.'
}

function ConvertTo-Base64List($values) {
    $list = @()
    foreach ($value in @($values)) {
        if ($null -ne $value -and $value.Length -gt 0) { $list += [Convert]::ToBase64String([byte[]]$value) }
    }
    return , $list
}

$recipients = @{}
$mailboxes = Get-Mailbox -ResultSize Unlimited |
    Select-Object PrimarySmtpAddress, EmailAddresses, UserCertificate, UserSMimeCertificate
$others = Get-Recipient -ResultSize Unlimited -RecipientTypeDetails MailUser, MailContact |
    Select-Object PrimarySmtpAddress, EmailAddresses, UserCertificate, UserSMimeCertificate
foreach ($entry in @($mailboxes) + @($others)) {
    $address = [string]$entry.PrimarySmtpAddress
    if (-not $address -or $recipients.ContainsKey($address.ToLowerInvariant())) { continue }
    # userSMIMECertificate first, as MS-OXLDAP says to prefer it (it may be a PKCS#7 bundle).
    $certificates = (ConvertTo-Base64List $entry.UserSMimeCertificate) + (ConvertTo-Base64List $entry.UserCertificate)
    $proxies = @($entry.EmailAddresses | ForEach-Object { [string]$_ } | Where-Object { $_ -like 'smtp:*' })
    $recipients[$address.ToLowerInvariant()] = [ordered]@{
        address         = $address
        proxy_addresses = $proxies
        certificates    = @($certificates)
    }
}

$export = [ordered]@{
    exported   = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    recipients = @($recipients.Values)
}
$json = $export | ConvertTo-Json -Depth 5
[System.IO.File]::WriteAllText($OutFile, $json, (New-Object System.Text.UTF8Encoding($false)))
Write-Host "Wrote $OutFile with $($recipients.Count) recipients."
