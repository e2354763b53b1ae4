#!/bin/sh
# Regenerates the cross-writer oracle: test/oracle/files/*.xlsx (the table in table.json, written by each
# program) and test/oracle/expected/<file>.<reader>.json|csv (what each program reads back from each file).
# test/oracle.test.ts compares numo-prep's reader with these. Needs (not needed by CI, the results are
# committed): Debian packages libreoffice-calc-nogui, python3-openpyxl, python3-xlsxwriter; npm ci.
#   sh test/oracle/make-oracle.sh
set -eu
cd "$(dirname "$0")/../.."
files=test/oracle/files
expected=test/oracle/expected
rm -rf "$files" "$expected"
mkdir -p "$files" "$expected"
export TZ=UTC

npx tsc -p tsconfig.json
/usr/bin/python3 test/oracle/oracle.py write "$files"
node dist/test/oracle/oracle-js.js write "$files"

# LibreOffice writes the table as it reads it from xlsxwriter's file (and recalculates the formulas).
lo=$(mktemp -d)
trap 'rm -rf "$lo"' EXIT
soffice -env:UserInstallation="file://$lo/profile" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$lo" "$files/xlsxwriter.xlsx" >/dev/null
mv "$lo/xlsxwriter.xlsx" "$files/libreoffice.xlsx"

# Every reader reads every file. LibreOffice: CSV as shown (UTF-8, comma, en-US), one per file.
/usr/bin/python3 test/oracle/oracle.py read "$files" "$expected"
node dist/test/oracle/oracle-js.js read "$files" "$expected"
for f in "$files"/*.xlsx; do
  name=$(basename "$f")
  soffice -env:UserInstallation="file://$lo/profile" --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false' --outdir "$lo" "$f" >/dev/null
  mv "$lo/${name%.xlsx}.csv" "$expected/$name.libreoffice.csv"
done
echo "oracle: $(ls "$files" | wc -l) files, $(ls "$expected" | wc -l) expectations"
