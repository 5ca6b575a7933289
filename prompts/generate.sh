#!/usr/bin/env bash
# Regenerates the bundled prompts (committed, so a fresh install needs neither tool):
# espeak-ng speaks the text, sox makes it 8 kHz mono 16-bit PCM WAV, the telephony format.
#   bash prompts/generate.sh        (needs espeak-ng and sox)
set -euo pipefail
cd "$(dirname "$0")"

say() { # lang voice name text
  local lang=$1 voice=$2 name=$3 text=$4 raw
  mkdir -p "$lang"
  raw=$(mktemp --suffix=.wav)
  espeak-ng -v "$voice" -s 150 -w "$raw" "$text"
  sox "$raw" -r 8000 -c 1 -b 16 -e signed-integer "$lang/$name.wav" norm -3
  rm -f "$raw"
}

pt=(zero um dois três quatro cinco seis sete oito nove)
en=(zero one two three four five six seven eight nine)
for d in 0 1 2 3 4 5 6 7 8 9; do
  say pt-BR pt-br "digit-$d" "${pt[$d]}"
  say en en-us "digit-$d" "${en[$d]}"
done
say pt-BR pt-br digit-star "asterisco"
say pt-BR pt-br digit-pound "sustenido"
say en en-us digit-star "star"
say en en-us digit-pound "pound"

say pt-BR pt-br readback-enter "Digite até quatro números e, em seguida, tecle sustenido."
say pt-BR pt-br readback-you-entered "Você digitou"
say pt-BR pt-br readback-nothing "Nenhum número foi digitado."
say pt-BR pt-br echo-intro "Teste de eco. Fale, e você ouvirá a sua própria voz."
say pt-BR pt-br goodbye "Obrigado. Até logo."
say en en-us readback-enter "Enter up to four digits, then press pound."
say en en-us readback-you-entered "You entered"
say en en-us readback-nothing "No digits were entered."
say en en-us echo-intro "Echo test. Speak, and you will hear your own voice."
say en en-us goodbye "Thank you. Goodbye."
