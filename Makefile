# Catalogue des conventions de coopération — commandes (voir README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUILD := build
ID ?=
MOTEUR ?=

.DEFAULT_GOAL := help
.PHONY: help install check expand site serve pdf docx test lint bench new statut signee diff revue reprise echeances browser office clean

help: ## Affiche cette aide
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Crée l'environnement virtuel .venv avec les dépendances figées

check: $(STAMP) ## Valide toutes les conventions (erreurs en français, code 1 si échec)
	$(PY) -m coop check

echeances: $(STAMP) ## Échéances des 12 prochains mois (COOP_AUJOURDHUI=AAAA-MM-JJ pour un autre jour)
	$(PY) -m coop echeances

expand: $(STAMP) ## Écrit le texte intégral de chaque convention dans build/texte/
	$(PY) -m coop expand --out $(BUILD)/texte $(if $(ID),--id $(ID))

site: $(STAMP) ## Construit le catalogue dans build/site/, avec les PDF et DOCX (MOTEUR=zensical pour l’autre moteur)
	$(PY) -m coop export --format all
	$(PY) -m coop site $(if $(MOTEUR),--moteur $(MOTEUR))

serve: $(STAMP) ## Installe, valide, construit et sert le catalogue sur http://127.0.0.1:8000
	$(PY) -m coop export --format all
	$(PY) -m coop serve $(if $(MOTEUR),--moteur $(MOTEUR))

pdf: $(STAMP) ## Exemplaires PDF pour signature dans build/exports/ (ID=… pour une seule, ANCRES=1 pour les plateformes)
	$(PY) -m coop export --format pdf $(if $(ID),--id $(ID)) $(if $(ANCRES),--ancres)

docx: $(STAMP) ## Exemplaires DOCX dans build/exports/ (ID=… pour une seule)
	$(PY) -m coop export --format docx $(if $(ID),--id $(ID))

browser: ## Installe Chromium (Debian) pour les tests du navigateur, s'il manque
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "Chromium manque : sudo apt-get install chromium poppler-utils" >&2; exit 1; fi; }

office: ## Installe LibreOffice Writer (Debian) pour le test de rendu des DOCX, s'il manque
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null; \
	  else echo "LibreOffice manque (sudo apt-get install libreoffice-writer-nogui) : le test de rendu des DOCX sera sauté" >&2; fi; }

test: $(STAMP) browser office ## Installe puis lance tous les tests
	$(PY) -m ruff check macros scripts tests
	$(PY) -m pytest

lint: $(STAMP) ## Vérifie le style du code (ruff)
	$(PY) -m ruff check macros scripts tests

bench: $(STAMP) ## Mesure les performances (BENCH_N=… pour changer la taille)
	$(PY) scripts/bench.py

clean: ## Supprime build/ et site/
	rm -rf $(BUILD) site

STATUT ?=
DATE ?=
REV ?= HEAD

new: $(STAMP) ## Crée une convention à compléter (questions en français ; ARGS="--type fcil …" pour les scripts)
	$(PY) -m coop new $(ARGS)

statut: $(STAMP) ## Change le statut d’une convention : ID=… STATUT=… [DATE=AAAA-MM-JJ pour signee]
	$(PY) -m coop statut --id "$(ID)" --statut "$(STATUT)" $(if $(DATE),--date "$(DATE)")

signee: $(STAMP) ## Enregistre l’exemplaire signé : ID=… FICHIER=signé.pdf [SCAN=1 DATE=AAAA-MM-JJ] [RACINES=dossier] [STRICT=1]
	$(PY) -m coop signee --id "$(ID)" --fichier "$(FICHIER)" $(if $(SCAN),--scan) $(if $(DATE),--date "$(DATE)") $(if $(RACINES),--racines "$(RACINES)") $(if $(STRICT),--strict)

diff: $(STAMP) ## Texte de la convention ID=… modifié depuis REV=… (HEAD par défaut), article par article
	$(PY) -m coop diff --id "$(ID)" --rev "$(REV)"

reprise: $(STAMP) ## DOCX annoté d’un partenaire (FICHIER=…) dans la source de ID=… ; APPLIQUER=1 écrit, MOTIF=… pour un article remplacé
	$(PY) -m coop reprise --id "$(ID)" --fichier "$(FICHIER)" $(if $(APPLIQUER),--appliquer) $(if $(MOTIF),--motif "$(MOTIF)")

BASE ?=

revue: $(STAMP) ## Rapport de relecture de la demande de fusion dans build/revue/ (BASE=… révision de référence, PUBLIER=1 en CI)
	$(PY) -m coop revue $(if $(BASE),--base "$(BASE)") $(if $(PUBLIER),--publier)
