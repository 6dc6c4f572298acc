; Inno Setup 6 script: a per-machine installer for the bundle that packaging/build.py makes.
;
;   python packaging\build.py
;   iscc packaging\windows\smime-guard.iss
;
; writes dist\smime-guard-<version>-setup.exe. The version comes from the package metadata
; by way of smime-guard.exe's version resource (packaging/app_metadata.py writes it), so
; the installer, Programs and Features and `smime-guard --version` agree.
; Silent deployment: smime-guard-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\smime-guard"
#endif
#define ConsoleExe "smime-guard.exe"
#define WindowedExe "smime-guard-app.exe"
#if !FileExists(AddBackslash(BundleDir) + ConsoleExe)
  #error The bundle is missing: run python packaging\build.py first
#endif
#define AppVersion GetFileProductVersionString(AddBackslash(BundleDir) + ConsoleExe)
#define AppNumericVersion GetVersionNumbersString(AddBackslash(BundleDir) + ConsoleExe)

[Setup]
; A fixed AppId: a newer installer upgrades the installed copy in place.
AppId={{6D1C7E0B-3F7A-4C55-9C61-2B8E5A0F4D19}
AppName=smime-guard
AppVersion={#AppVersion}
AppVerName=smime-guard {#AppVersion}
AppPublisher=smime-guard
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoDescription=smime-guard setup
; Per-machine: Program Files, the common Start menu, one uninstaller for all users.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=
DefaultDirName={autopf}\smime-guard
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 and later.
MinVersion=10.0
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
SetupIconFile=..\..\build\icons\smime-guard.ico
UninstallDisplayIcon={app}\{#WindowedExe}
UninstallDisplayName=smime-guard
OutputDir=..\..\dist
OutputBaseFilename=smime-guard-{#AppVersion}-setup
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The sample policy, for the administrator to copy to policy.toml; never overwritten.
Source: "..\policy.toml"; DestDir: "{commonappdata}\smime-guard"; DestName: "policy.toml.example"; Flags: onlyifdoesntexist uninsneveruninstall

[Dirs]
; %ProgramData%\smime-guard holds the practice's policy.toml and trust-anchors\; an
; uninstall leaves them for the next install.
Name: "{commonappdata}\smime-guard"; Flags: uninsneveruninstall
Name: "{commonappdata}\smime-guard\trust-anchors"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\smime-guard"; Filename: "{app}\{#WindowedExe}"; Comment: "Check that every recipient can read an encrypted message"
Name: "{autoprograms}\smime-guard self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#ConsoleExe}"" --self-test"; WorkingDir: "{app}"; IconFilename: "{app}\{#WindowedExe}"

[Run]
Filename: "{app}\{#WindowedExe}"; Description: "{cm:LaunchProgram,smime-guard}"; Flags: nowait postinstall skipifsilent
