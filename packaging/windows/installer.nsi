; Installer of Cartella Sociale, built on Linux by scripts/windows.sh with
; Debian's makensis. The script passes VERSION, VERSION4 (x.y.z.build),
; PUBLISHER, YEAR, EXE, ICON, LICENSE, OUTFILE and (optional) WELCOME with -D.
;
; What it does: installs CartellaSociale.exe in Program Files, adds Start-menu
; and desktop shortcuts and an entry in "App installate" with an uninstaller.
; What it never does: touch the office's data. The data folder
; (%APPDATA%\CartellaSociale, or CartellaSociale-dati next to the exe in
; portable mode) is not named anywhere below, and folders are removed only
; when already empty (RMDir without /r), so an uninstall or an upgrade can
; never delete a database, a backup or a sync file.

Unicode true
; The program is 64-bit only, so the installer is too: it then runs in the
; native Program Files and registry view with no WOW64 redirection.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION | VERSION4 | PUBLISHER | YEAR | EXE | ICON | LICENSE | OUTFILE
  !error "Usare scripts/windows.sh: mancano le definizioni -D"
!endif

!define APPNAME "Cartella Sociale"
!define APPKEY "CartellaSociale"
!define EXENAME "CartellaSociale.exe"
!define UNINSTNAME "Disinstalla Cartella Sociale.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define SMDIR "$SMPROGRAMS\${APPNAME}"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPKEY}"
InstallDirRegKey HKLM "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!ifdef WELCOME
  !define MUI_WELCOMEFINISHPAGE_BITMAP "${WELCOME}"
  !define MUI_UNWELCOMEFINISHPAGE_BITMAP "${WELCOME}"
!endif
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "Questa procedura installa ${APPNAME} ${VERSION} sul computer.$\r$\n$\r$\nI dati dell'ufficio non si trovano nella cartella del programma ma in %APPDATA%\${APPKEY}: un aggiornamento o una disinstallazione non li cancellano.$\r$\n$\r$\nPrima di continuare chiudete ${APPNAME}, se è aperto."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXENAME}"
!define MUI_FINISHPAGE_RUN_TEXT "Avvia ${APPNAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "Il programma ${APPNAME} verrà rimosso da questo computer.$\r$\n$\r$\nI dati dell'ufficio (cartella %APPDATA%\${APPKEY}) NON vengono cancellati: restano sul disco e il programma li ritrova se lo reinstallate."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Italian"

; The installer's own file properties.
VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "FileDescription" "Installazione di ${APPNAME}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "FileVersion" "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ITALIAN} "LegalCopyright" "© ${YEAR} ${PUBLISHER} — Licenza EUPL-1.2"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME} richiede Windows a 64 bit."
    Abort
  ${EndIf}
  SetRegView 64
  ; Shortcuts for every user of the PC: the two operators may share it.
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=${EXENAME}" "${EXE}"
  File "/oname=LICENZA.txt" "${LICENSE}"
  WriteUninstaller "$INSTDIR\${UNINSTNAME}"

  CreateDirectory "${SMDIR}"
  CreateShortcut "${SMDIR}\${APPNAME}.lnk" "$INSTDIR\${EXENAME}" "" "$INSTDIR\${EXENAME}" 0 \
    SW_SHOWNORMAL "" "Cartella sociale informatizzata"
  CreateShortcut "${SMDIR}\Disinstalla ${APPNAME}.lnk" "$INSTDIR\${UNINSTNAME}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXENAME}" "" "$INSTDIR\${EXENAME}" 0 \
    SW_SHOWNORMAL "" "Cartella sociale informatizzata"

  WriteRegStr HKLM "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "Software\${APPKEY}" "Version" "${VERSION}"

  ; The entry in "App installate" / "Programmi e funzionalità".
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXENAME},0"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\${UNINSTNAME}"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTNAME}" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  ; Only the files this installer wrote, by name.
  Delete "$INSTDIR\${EXENAME}"
  Delete "$INSTDIR\LICENZA.txt"
  Delete "$INSTDIR\${UNINSTNAME}"
  ; RMDir without /r: removes the folder only if nothing else is in it
  ; (for example a portable-mode data folder someone put there).
  RMDir "$INSTDIR"

  Delete "${SMDIR}\${APPNAME}.lnk"
  Delete "${SMDIR}\Disinstalla ${APPNAME}.lnk"
  RMDir "${SMDIR}"
  Delete "$DESKTOP\${APPNAME}.lnk"

  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APPKEY}"

  DetailPrint "I dati dell'ufficio in %APPDATA%\${APPKEY} sono stati lasciati dove sono."
SectionEnd
